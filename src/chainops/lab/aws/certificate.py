"""The lab's TLS certificate for the core stack's HTTPS listener.

What an operator does with a real certificate: the private key goes to ACM only, never through
Terraform, whose core stack just takes the ARN (`certificate_arn`). ACM gives an imported
certificate a random ARN, so the lab inventory asks for it at run time (`chainops lab
certificate`), and the same call returns the same ARN while the lab keeps its state.
"""

from __future__ import annotations

import datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from chainops.lab.aws import clients
from chainops.lab.settings import LabSettings

DOMAIN = "api.lab.chainops.internal"
VALID_DAYS = 30


def ensure(settings: LabSettings, domain: str = DOMAIN) -> str:
    """The ARN of the lab's certificate for `domain`, imported (self-signed) when missing."""
    acm = clients.client(settings, "acm")
    for page in acm.get_paginator("list_certificates").paginate():
        for summary in page["CertificateSummaryList"]:
            if summary["DomainName"] == domain:
                return str(summary["CertificateArn"])
    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=VALID_DAYS))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    arn: str = acm.import_certificate(
        Certificate=certificate.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )["CertificateArn"]
    return arn
