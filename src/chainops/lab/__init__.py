"""The lab world, one package per job (docs/lab.md):

- `aws`: the lab AWS, moto plus the project's extensions, and its clients, faults, certificate;
- `hosts`: podman hosts materialised from the lab AWS's running instances (on top of `aws`);
- `release`: lab releases, tarballs installed on lab hosts like an Agave release.

`settings` (where the lab AWS listens) is shared by all three and by `chainops.tf`; `cli` adds
`chainops lab` and each part's subcommands.
"""
