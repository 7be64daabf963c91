# SPDX-License-Identifier: BSD-2-Clause
# Fuzz harnesses of the x509 layer: certificate files, OCSP responses, CRLs.
nd_fuzz(fuzz_x509_cert fuzz_x509_cert.c)
nd_fuzz(fuzz_x509_ocsp fuzz_x509_ocsp.c)
nd_fuzz(fuzz_x509_crl fuzz_x509_crl.c)
