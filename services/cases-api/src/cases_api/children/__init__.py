"""Children with SEN, their ranked needs, and the guardians (parent accounts) linked to them."""
