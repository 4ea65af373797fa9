"""The lab validator: a Solana RPC/PubSub node backed by the SVM in `solders.litesvm`."""
