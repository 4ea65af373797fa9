"""The lab's certificate for the core stack: imported once, the same ARN on every call."""

from __future__ import annotations

from chainops.lab.aws import certificate, clients
from chainops.lab.settings import LabSettings


def test_certificate_is_imported_once_and_found_again(lab: LabSettings) -> None:
    first = certificate.ensure(lab)
    assert certificate.ensure(lab) == first
    acm = clients.client(lab, "acm")
    described = acm.describe_certificate(CertificateArn=first)["Certificate"]
    assert described["DomainName"] == certificate.DOMAIN
    assert described["Type"] == "IMPORTED"
    assert len(acm.list_certificates()["CertificateSummaryList"]) == 1
    other = certificate.ensure(lab, "other.lab.chainops.internal")
    assert other != first
