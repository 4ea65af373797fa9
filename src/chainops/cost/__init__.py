"""`chainops cost`: the monthly On-Demand cost of a Terraform plan or state, from a committed,
dated snapshot of AWS prices (docs/cost.md)."""
