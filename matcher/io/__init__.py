"""Reading sheets and files into the contract, and importing them."""
