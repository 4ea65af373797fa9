"""The pipeline consumers: Kinesis shards -> the S3 data lake, exactly once in effect."""
