"""The consumers' metric names (published by `chainops.pipeline.metrics.Metrics`)."""

# Seconds from an event's block_time to its object being durable in S3.
BLOCK_PROCESSING_LAG = "BlockProcessingLag"
# How far the consumer's shard iterator is behind the stream's tip: the event backlog.
MILLIS_BEHIND_LATEST = "MillisBehindLatest"
RECORDS_PER_BATCH = "RecordsPerBatch"
EVENTS_LANDED = "EventsLanded"
DUPLICATES_DROPPED = "DuplicatesDropped"
DEAD_LETTERED = "DeadLettered"
# Ranges of a shard's records that expired (the stream's retention) before they were landed.
LOST_RANGES = "LostRanges"
