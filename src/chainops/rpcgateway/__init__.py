"""The RPC gateway: a metering JSON-RPC and PubSub proxy in front of one Solana RPC node."""
