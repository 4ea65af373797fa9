output "vpc_id" {
  description = "ID of the VPC."
  value       = aws_vpc.this.id
}

output "cidr_block" {
  description = "CIDR of the VPC."
  value       = aws_vpc.this.cidr_block
}

output "subnet_ids" {
  description = "Subnet IDs by tier, in availability_zones order."
  value       = { for tier in local.tiers : tier => [for zone in var.availability_zones : aws_subnet.this["${tier}-${zone}"].id] }
}

output "subnet_cidrs" {
  description = "Subnet CIDRs by tier, in availability_zones order."
  value       = { for tier in local.tiers : tier => [for zone in var.availability_zones : aws_subnet.this["${tier}-${zone}"].cidr_block] }
}

output "route_table_ids" {
  description = "Route table IDs by tier (private: one per zone)."
  value = {
    public   = [aws_route_table.public.id]
    private  = [for zone in var.availability_zones : aws_route_table.private[zone].id]
    isolated = [aws_route_table.isolated.id]
  }
}

output "nat_gateway_ids" {
  description = "NAT gateway IDs by zone (empty with nat_gateway_mode = none)."
  value       = { for zone, nat in aws_nat_gateway.this : zone => nat.id }
}

output "nat_public_ips" {
  description = "Public IPs of the NAT gateways, for allow-lists of outside services."
  value       = [for eip in aws_eip.nat : eip.public_ip]
}
