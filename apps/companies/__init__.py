"""Companies: Company, Membership, Truck, Driver, ServiceArea; company search."""
