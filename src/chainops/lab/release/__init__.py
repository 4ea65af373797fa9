"""Lab releases: tarballs of a component's chainops code and distributions, and the launchers
(agave-validator's flags, solana-keygen) that ship in them. Imports neither the lab AWS nor
the hosts: a release runs on a lab host, where neither exists."""
