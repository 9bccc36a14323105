"""Deadlines with their legal basis, as the API shows them, and the officers' view of them."""
