"""The provisions directory: establishments and the places they offer, with capacity and cost."""
