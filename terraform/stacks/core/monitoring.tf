# Alarms on the ALB, the services, PostgreSQL and Redis, to the environment's alarm topic, and
# one dashboard for the platform.
locals {
  thresholds = var.alarm_thresholds
  alb_dims   = { LoadBalancer = module.alb.arn_suffix }

  alarms = merge(
    {
      alb-target-5xx = {
        description = "The public service answers 5xx."
        namespace   = "AWS/ApplicationELB", metric_name = "HTTPCode_Target_5XX_Count", dimensions = local.alb_dims
        statistic   = "Sum", threshold = local.thresholds.alb_5xx, treat_missing_data = "notBreaching"
      }
      alb-target-response-time = {
        description        = "p99 response time of the public service is too high."
        namespace          = "AWS/ApplicationELB", metric_name = "TargetResponseTime", dimensions = local.alb_dims
        extended_statistic = "p99", threshold = local.thresholds.target_response_seconds
      }
      rds-cpu = {
        description = "PostgreSQL primary CPU is high."
        namespace   = "AWS/RDS", metric_name = "CPUUtilization", dimensions = { DBInstanceIdentifier = module.database.identifier }
        statistic   = "Average", threshold = local.thresholds.rds_cpu_percent
      }
      rds-free-storage = {
        description = "PostgreSQL primary is running out of storage (autoscaling at its ceiling?)."
        namespace   = "AWS/RDS", metric_name = "FreeStorageSpace", dimensions = { DBInstanceIdentifier = module.database.identifier }
        statistic   = "Minimum", threshold = local.thresholds.rds_free_storage_gib * 1073741824, comparison_operator = "LessThanThreshold"
      }
    },
    # Alarm keys come from the inputs, so they are known at plan (for_each needs that).
    var.database.create_replica ? {
      rds-replica-lag = {
        description = "The read replica lags the primary."
        namespace   = "AWS/RDS", metric_name = "ReplicaLag", dimensions = { DBInstanceIdentifier = "${local.name}-replica" }
        statistic   = "Maximum", threshold = local.thresholds.replica_lag_seconds
      }
    } : {},
    {
      for service in keys(var.services) : "ecs-cpu-${service}" => {
        description = "CPU of ${service} stays high although it scales (at max capacity?)."
        namespace   = "AWS/ECS", metric_name = "CPUUtilization", dimensions = { ClusterName = local.name, ServiceName = service }
        statistic   = "Average", threshold = local.thresholds.ecs_cpu_percent
      }
    },
    {
      for member in module.cache.member_cluster_ids : "redis-cpu-${trimprefix(member, "${local.name}-")}" => {
        description = "Redis engine CPU of ${member} is high (Redis is single-threaded)."
        namespace   = "AWS/ElastiCache", metric_name = "EngineCPUUtilization", dimensions = { CacheClusterId = member }
        statistic   = "Average", threshold = local.thresholds.redis_cpu_percent
      }
    },
    {
      for member in module.cache.member_cluster_ids : "redis-evictions-${trimprefix(member, "${local.name}-")}" => {
        description = "Redis ${member} evicts keys: memory is too small for the working set."
        namespace   = "AWS/ElastiCache", metric_name = "Evictions", dimensions = { CacheClusterId = member }
        statistic   = "Sum", threshold = local.thresholds.redis_evictions, treat_missing_data = "notBreaching"
      }
    },
  )

  alarm_arn_prefix = "arn:${local.partition}:cloudwatch:${var.region}:${local.account_id}:alarm:${local.name}-"
}

module "alarms" {
  source = "../../modules/metric_alarms"

  name_prefix   = local.name
  alarms        = local.alarms
  alarm_actions = [data.aws_sns_topic.alarms.arn]
}

resource "aws_cloudwatch_dashboard" "this" {
  dashboard_name = local.name
  dashboard_body = jsonencode({
    widgets = [
      {
        type = "metric", x = 0, y = 0, width = 12, height = 6
        properties = {
          title   = "ECS CPU and memory"
          region  = var.region
          metrics = [["AWS/ECS", "CPUUtilization", "ClusterName", module.cluster.name], [".", "MemoryUtilization", ".", "."]]
          stat    = "Average"
          period  = 60
        }
      },
      {
        type = "metric", x = 12, y = 0, width = 12, height = 6
        properties = {
          title  = "RPC latency p99, listener slot lag, consumer backlog"
          region = var.region
          # What the blockchain stack's processes publish, with their dimensions: the RPC
          # group and the events stream are named after the environment there.
          metrics = [
            ["Chainops/RPC", "RequestLatency", "AutoScalingGroupName", "${local.name}-rpc", { stat = "p99" }],
            ["Chainops/Listener", "SlotLag", "Stream", "${local.name}-events", { stat = "Maximum", yAxis = "right" }],
            ["Chainops/Consumer", "MillisBehindLatest", "Stream", "${local.name}-events", { stat = "Maximum" }],
          ]
          period = 60
        }
      },
      {
        type = "metric", x = 0, y = 6, width = 12, height = 6
        properties = {
          title  = "ALB requests, 5xx and p99 latency"
          region = var.region
          metrics = [
            ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", module.alb.arn_suffix, { stat = "Sum" }],
            [".", "HTTPCode_Target_5XX_Count", ".", ".", { stat = "Sum" }],
            [".", "TargetResponseTime", ".", ".", { stat = "p99", yAxis = "right" }],
          ]
          period = 60
        }
      },
      {
        type = "metric", x = 12, y = 6, width = 12, height = 6
        properties = {
          title  = "PostgreSQL CPU, connections and replica lag"
          region = var.region
          metrics = concat(
            [
              ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", module.database.identifier, { stat = "Average" }],
              [".", "DatabaseConnections", ".", ".", { stat = "Maximum", yAxis = "right" }],
            ],
            var.database.create_replica ? [["AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", "${local.name}-replica", { stat = "Maximum", yAxis = "right" }]] : [],
          )
          period = 60
        }
      },
      {
        type = "metric", x = 0, y = 12, width = 12, height = 6
        properties = {
          title  = "Redis engine CPU and evictions"
          region = var.region
          metrics = concat(
            [for member in module.cache.member_cluster_ids : ["AWS/ElastiCache", "EngineCPUUtilization", "CacheClusterId", member, { stat = "Average" }]],
            [for member in module.cache.member_cluster_ids : ["AWS/ElastiCache", "Evictions", "CacheClusterId", member, { stat = "Sum", yAxis = "right" }]],
          )
          period = 60
        }
      },
      {
        type = "alarm", x = 12, y = 12, width = 12, height = 6
        properties = {
          title  = "Alarms"
          alarms = concat([for key in ["rpc-latency-p99", "block-processing-lag", "event-backlog"] : "${local.alarm_arn_prefix}${key}"], [for key in sort(keys(local.alarms)) : "${local.alarm_arn_prefix}${key}"])
        }
      },
    ]
  })
}
