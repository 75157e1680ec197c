"""The KDD Cup 99 / NSL-KDD record schema: feature names, types, vocabularies, categories.

Everything here is a constant of the data format, written once so that every other module
(and every notebook) agrees on it. Sources: ``kddcup.names`` from the UCI KDD archive for the
41 features; the attack-to-category mapping follows the DARPA 1998/1999 evaluation taxonomy
as used by the KDD Cup 99 task description and by Tavallaee et al. (2009) for NSL-KDD.
"""

from __future__ import annotations

from typing import Final

#: The 41 connection features, in file order (``kddcup.names``).
FEATURE_NAMES: Final[tuple[str, ...]] = (
    "duration", "protocol_type", "service", "flag", "src_bytes", "dst_bytes", "land",
    "wrong_fragment", "urgent", "hot", "num_failed_logins", "logged_in", "num_compromised",
    "root_shell", "su_attempted", "num_root", "num_file_creations", "num_shells",
    "num_access_files", "num_outbound_cmds", "is_host_login", "is_guest_login", "count",
    "srv_count", "serror_rate", "srv_serror_rate", "rerror_rate", "srv_rerror_rate",
    "same_srv_rate", "diff_srv_rate", "srv_diff_host_rate", "dst_host_count",
    "dst_host_srv_count", "dst_host_same_srv_rate", "dst_host_diff_srv_rate",
    "dst_host_same_src_port_rate", "dst_host_srv_diff_host_rate", "dst_host_serror_rate",
    "dst_host_srv_serror_rate", "dst_host_rerror_rate", "dst_host_srv_rerror_rate",
)

#: The three symbolic (string-valued) features that are one-hot encoded.
CATEGORICAL_FEATURES: Final[tuple[str, ...]] = ("protocol_type", "service", "flag")

#: The 38 numeric features (including the 0/1 flags land, logged_in, is_host_login,
#: is_guest_login, which ``kddcup.names`` calls symbolic but which are already numbers).
NUMERIC_FEATURES: Final[tuple[str, ...]] = tuple(
    f for f in FEATURE_NAMES if f not in CATEGORICAL_FEATURES
)

#: Numeric features that hold fractions (``*_rate``); all other numeric features are counts.
RATE_FEATURES: Final[tuple[str, ...]] = tuple(f for f in NUMERIC_FEATURES if f.endswith("_rate"))
INTEGER_FEATURES: Final[tuple[str, ...]] = tuple(
    f for f in NUMERIC_FEATURES if f not in RATE_FEATURES
)

#: Fixed vocabularies of the categorical features: every value in the full KDD99 training
#: data (and in NSL-KDD KDDTrain+). Values outside them (e.g. service ``icmp`` in
#: ``corrected``) are encoded as all zeros and reported.
PROTOCOL_TYPES: Final[tuple[str, ...]] = ("icmp", "tcp", "udp")
SERVICES: Final[tuple[str, ...]] = (
    "IRC", "X11", "Z39_50", "aol", "auth", "bgp", "courier", "csnet_ns", "ctf", "daytime",
    "discard", "domain", "domain_u", "echo", "eco_i", "ecr_i", "efs", "exec", "finger", "ftp",
    "ftp_data", "gopher", "harvest", "hostnames", "http", "http_2784", "http_443", "http_8001",
    "imap4", "iso_tsap", "klogin", "kshell", "ldap", "link", "login", "mtp", "name",
    "netbios_dgm", "netbios_ns", "netbios_ssn", "netstat", "nnsp", "nntp", "ntp_u", "other",
    "pm_dump", "pop_2", "pop_3", "printer", "private", "red_i", "remote_job", "rje", "shell",
    "smtp", "sql_net", "ssh", "sunrpc", "supdup", "systat", "telnet", "tftp_u", "tim_i", "time",
    "urh_i", "urp_i", "uucp", "uucp_path", "vmnet", "whois",
)
FLAGS: Final[tuple[str, ...]] = (
    "OTH", "REJ", "RSTO", "RSTOS0", "RSTR", "S0", "S1", "S2", "S3", "SF", "SH",
)
VOCABULARIES: Final[dict[str, tuple[str, ...]]] = {
    "protocol_type": PROTOCOL_TYPES,
    "service": SERVICES,
    "flag": FLAGS,
}

#: Number of model inputs after one-hot encoding: 3 + 70 + 11 + 38.
N_ENCODED_FEATURES: Final[int] = sum(len(v) for v in VOCABULARIES.values()) + len(NUMERIC_FEATURES)

NORMAL: Final[str] = "normal"
#: The five classes of the multi-class task, in the fixed order used for integer targets.
CATEGORIES: Final[tuple[str, ...]] = ("normal", "DoS", "Probe", "R2L", "U2R")
ATTACK_CATEGORIES: Final[tuple[str, ...]] = CATEGORIES[1:]

#: Every attack name of KDD99 (10 %, ``corrected``) and NSL-KDD (all four files) mapped to
#: its category. Names marked "test only" never occur in the training files.
ATTACK_TO_CATEGORY: Final[dict[str, str]] = {
    "normal": "normal",
    # Denial of service
    "back": "DoS", "land": "DoS", "neptune": "DoS", "pod": "DoS", "smurf": "DoS",
    "teardrop": "DoS",
    "apache2": "DoS", "mailbomb": "DoS", "processtable": "DoS", "udpstorm": "DoS",  # test only
    # Probing
    "ipsweep": "Probe", "nmap": "Probe", "portsweep": "Probe", "satan": "Probe",
    "mscan": "Probe", "saint": "Probe",  # test only
    # Remote to local
    "ftp_write": "R2L", "guess_passwd": "R2L", "imap": "R2L", "multihop": "R2L", "phf": "R2L",
    "spy": "R2L", "warezclient": "R2L", "warezmaster": "R2L",
    "named": "R2L", "sendmail": "R2L", "snmpgetattack": "R2L", "snmpguess": "R2L",  # test only
    "worm": "R2L", "xlock": "R2L", "xsnoop": "R2L",  # test only
    # User to root
    "buffer_overflow": "U2R", "loadmodule": "U2R", "perl": "U2R", "rootkit": "U2R",
    "httptunnel": "U2R", "ps": "U2R", "sqlattack": "U2R", "xterm": "U2R",  # test only
}

#: Attack names that occur in the training files (KDD99 10 %, KDDTrain+); all others are
#: "novel" attacks that only the test sets hold.
TRAINING_ATTACKS: Final[frozenset[str]] = frozenset({
    "back", "buffer_overflow", "ftp_write", "guess_passwd", "imap", "ipsweep", "land",
    "loadmodule", "multihop", "neptune", "nmap", "perl", "phf", "pod", "portsweep", "rootkit",
    "satan", "smurf", "spy", "teardrop", "warezclient", "warezmaster",
})


def category_of(label: str) -> str:
    """Return the attack category (normal, DoS, Probe, R2L, U2R) of a normalised label.

    Raises ``KeyError`` for an unknown label; loaders turn that into a `KDDDataError`.
    """
    return ATTACK_TO_CATEGORY[label]
