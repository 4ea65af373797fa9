output "id" {
  description = "ID of the network ACL."
  value       = aws_network_acl.this.id
}
