"""`Idempotency-Key` on the POSTs that create things: the same key and body replay the first
response; the same key with another body is refused. The key is stored in the same transaction as
the change it made, so a replay never repeats a change and never misses one."""
