"""Names the tools and servers use, mapped to IANA code points (so facts from
different tools compare as numbers)."""

VERSION_ORDER = ["SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3"]

# gnutls-cli -l spellings.
GNUTLS_VERSIONS = {"SSL3.0": "SSLv3", "TLS1.0": "TLSv1", "TLS1.1": "TLSv1.1", "TLS1.2": "TLSv1.2",
                   "TLS1.3": "TLSv1.3", "VERS-SSL3.0": "SSLv3", "VERS-TLS1.0": "TLSv1",
                   "VERS-TLS1.1": "TLSv1.1", "VERS-TLS1.2": "TLSv1.2", "VERS-TLS1.3": "TLSv1.3"}

# Every spelling of a group that the servers and tools print.
GROUPS = {
    "secp256r1": 0x0017, "prime256v1": 0x0017, "P-256": 0x0017, "secp256r1 (NIST P-256)": 0x0017,
    "secp384r1": 0x0018, "P-384": 0x0018, "secp384r1 (NIST P-384)": 0x0018,
    "secp521r1": 0x0019, "P-521": 0x0019, "secp521r1 (NIST P-521)": 0x0019,
    "x25519": 0x001D, "X25519": 0x001D, "x448": 0x001E, "X448": 0x001E,
    "ffdhe2048": 0x0100, "ffdhe3072": 0x0101, "ffdhe4096": 0x0102, "ffdhe6144": 0x0103, "ffdhe8192": 0x0104,
    "brainpoolP256r1": 0x001A, "brainpoolP384r1": 0x001B, "brainpoolP512r1": 0x001C,
    "secp224r1": 0x0015, "secp192r1": 0x0013, "prime192v1": 0x0013, "secp256k1": 0x0016,
}

GROUP_NAMES = {0x0017: "P-256", 0x0018: "P-384", 0x0019: "P-521", 0x001D: "X25519", 0x001E: "X448",
               0x0100: "ffdhe2048", 0x0101: "ffdhe3072", 0x0102: "ffdhe4096", 0x0103: "ffdhe6144",
               0x0104: "ffdhe8192", 0x001A: "brainpoolP256r1", 0x001B: "brainpoolP384r1",
               0x001C: "brainpoolP512r1", 0x0015: "secp224r1", 0x0013: "secp192r1", 0x0016: "secp256k1"}

SCHEMES = {
    "rsa_pkcs1_sha1": 0x0201, "rsa_pkcs1_sha256": 0x0401, "rsa_pkcs1_sha384": 0x0501,
    "rsa_pkcs1_sha512": 0x0601, "rsa_pss_rsae_sha256": 0x0804, "rsa_pss_rsae_sha384": 0x0805,
    "rsa_pss_rsae_sha512": 0x0806, "rsa_pss_pss_sha256": 0x0809, "rsa_pss_pss_sha384": 0x080A,
    "rsa_pss_pss_sha512": 0x080B, "ecdsa_sha1": 0x0203, "ecdsa_secp256r1_sha256": 0x0403,
    "ecdsa_secp384r1_sha384": 0x0503, "ecdsa_secp521r1_sha512": 0x0603, "ed25519": 0x0807,
    "ed448": 0x0808, "rsa_pkcs1_md5": 0x0101, "rsa_pkcs1_sha224": 0x0301, "ecdsa_sha224": 0x0303,
    "dsa_sha1": 0x0202, "dsa_sha256": 0x0402,
}
SCHEME_NAMES = {code: name for name, code in SCHEMES.items()}
# sslscan --show-sigs prints "ANY" (0xFDFF) when the server completes a handshake whose
# ClientHello offered only a scheme that does not exist.
SCHEME_NAMES[0xFDFF] = "ANY (sslscan's 0xFDFF)"

TLS13_SUITES = {"TLS_AES_128_GCM_SHA256": 0x1301, "TLS_AES_256_GCM_SHA384": 0x1302,
                "TLS_CHACHA20_POLY1305_SHA256": 0x1303, "TLS_AES_128_CCM_SHA256": 0x1304,
                "TLS_AES_128_CCM_8_SHA256": 0x1305}

JSSE_SUITES = {"TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA": 0xC013, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA": 0xC014,
               "TLS_RSA_WITH_AES_128_CBC_SHA": 0x002F, "TLS_RSA_WITH_AES_256_CBC_SHA": 0x0035,
               "SSL_RSA_WITH_3DES_EDE_CBC_SHA": 0x000A, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA": 0xC012,
               "SSL_RSA_WITH_RC4_128_SHA": 0x0005, "SSL_RSA_WITH_RC4_128_MD5": 0x0004}


def group_name(code):
    return GROUP_NAMES.get(code, f"0x{code:04X}")


def scheme_name(code):
    return SCHEME_NAMES.get(code, f"0x{code:04X}")


def suite_label(code):
    return f"0x{code:04X}"
