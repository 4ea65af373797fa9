"""`chainops listener`: Solana slots -> blocks -> one event per transaction -> Kinesis."""
