output "replication_group_id" {
  description = "ID of the replication group."
  value       = aws_elasticache_replication_group.this.id
}

output "primary_endpoint" {
  description = "Primary endpoint address (writes)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "reader_endpoint" {
  description = "Reader endpoint address (reads spread over the replicas)."
  value       = aws_elasticache_replication_group.this.reader_endpoint_address
}

output "member_cluster_ids" {
  description = "Member cache cluster ids (<name>-001, -002...), known at plan for per-node alarms."
  value       = [for i in range(var.num_cache_clusters) : format("%s-%03d", var.name, i + 1)]
}
