"""Compares a tool's Findings with an origin's ground truth, fact by fact.

Each fact gets one grade: "right", "WRONG" (the tool stated something false),
"partial" (what it stated is true but some of the fact is not reported),
"-" (not reported at all) or "n/a" (the fact does not apply to the origin).
Every WRONG and partial grade comes with a line saying what the tool said and
what the truth is."""

import names

FACTS = ["versions", "suites", "groups", "signature schemes", "server order"]

RIGHT, WRONG, PARTIAL, MISSING, NA = "right", "WRONG", "partial", "-", "n/a"


def _codes(codes):
    return ", ".join(names.suite_label(c) for c in codes) if codes else "none"


def _groups(codes):
    return ", ".join(names.group_name(c) for c in sorted(codes)) if codes else "none"


def _schemes(codes):
    return ", ".join(names.scheme_name(c) for c in sorted(codes)) if codes else "none"


def _versions(items):
    order = ["SSLv2"] + names.VERSION_ORDER
    return ", ".join(sorted(items, key=order.index)) if items else "none"


def _combine(parts):
    """One grade from the grades of a fact's parts."""
    grades = [g for g in parts if g != NA]
    if not grades:
        return NA
    if WRONG in grades:
        return WRONG
    if all(g == RIGHT for g in grades):
        return RIGHT
    if all(g == MISSING for g in grades):
        return MISSING
    return PARTIAL


def grade(truth, findings):
    """{fact: (grade, [detail lines])}."""
    return {
        "versions": _grade_versions(truth, findings),
        "suites": _grade_suites(truth, findings),
        "groups": _grade_groups(truth, findings),
        "signature schemes": _grade_schemes(truth, findings),
        "server order": _grade_order(truth, findings),
    }


def _grade_versions(truth, f):
    if f.versions is None:
        return MISSING, []
    expected = set(truth.versions)
    if f.versions == expected:
        return RIGHT, []
    return WRONG, [f"versions: said {_versions(f.versions)}; truth {_versions(expected)}"]


def _grade_suites(truth, f):
    if f.suites is None:
        return MISSING, []
    parts, details = [], []
    for version in names.VERSION_ORDER:
        expected = truth.suites.get(version, [])
        said = f.suites.get(version)
        if not expected and not said:
            continue
        if said is None or not said:
            # Listing nothing for a version the tool itself found accepted is a false "none";
            # for a version it did not find, the version grade already counts the error.
            if f.versions is not None and version in f.versions:
                parts.append(WRONG)
                details.append(f"suites {version}: said none; truth {_codes(expected)}")
            else:
                parts.append(MISSING)
                details.append(f"suites {version}: not listed; truth {_codes(expected)}")
            continue
        if set(said) == set(expected):
            parts.append(RIGHT)
        else:
            parts.append(WRONG)
            missing = [c for c in expected if c not in said]
            extra = [c for c in said if c not in expected]
            details.append(f"suites {version}: missing {_codes(missing)}, extra {_codes(extra)}")
    return _combine(parts), details


def _grade_groups(truth, f):
    if truth.groups is None and truth.tls13_groups is None:
        return NA, []
    parts, details = [], []
    if f.groups is None and f.tls13_groups is None and f.groups_any is not None:
        expected = (truth.groups or set()) | (truth.tls13_groups or set())
        if f.groups_any == expected:
            return RIGHT, []
        if not f.groups_any:
            return MISSING, [f"groups (any version): said none; truth {_groups(expected)}"]
        return WRONG, [f"groups (any version): said {_groups(f.groups_any)}; truth {_groups(expected)}"]
    for label, expected, said in (("TLS<=1.2", truth.groups, f.groups),
                                  ("TLS1.3", truth.tls13_groups, f.tls13_groups)):
        if expected is None:
            if said:
                parts.append(WRONG)
                details.append(f"groups {label}: said {_groups(said)}; truth none")
            continue
        if said is None or not said:
            parts.append(MISSING)
            details.append(f"groups {label}: not reported; truth {_groups(expected)}")
        elif said == expected:
            parts.append(RIGHT)
        else:
            parts.append(WRONG)
            details.append(f"groups {label}: said {_groups(said)}; truth {_groups(expected)}")
    return _combine(parts), details


def _grade_schemes(truth, f):
    if truth.signature_schemes is None:
        return NA, []
    if f.signature_schemes is None:
        return MISSING, []
    if f.signature_schemes == truth.signature_schemes:
        return RIGHT, []
    return WRONG, [f"signature schemes TLS1.2: said {_schemes(f.signature_schemes)}; "
                   f"truth {_schemes(truth.signature_schemes)}"]


def _grade_order(truth, f):
    parts, details = [], []
    for version, enforced in truth.server_order.items():
        expected = truth.suites.get(version, [])
        if len(expected) < 2:
            continue
        flag = f.order_flag.get(version)
        claim = f.order_claim.get(version)
        if enforced:
            if flag is False:
                parts.append(WRONG)
                details.append(f"server order {version}: said the client's order; truth server's order "
                               f"{_codes(expected)}")
            elif claim:
                if claim == expected:
                    parts.append(RIGHT if flag else PARTIAL)
                    if not flag:
                        details.append(f"server order {version}: order right, but whether the server "
                                       "enforces it is not reported")
                else:
                    parts.append(WRONG)
                    details.append(f"server order {version}: said {_codes(claim)}; truth {_codes(expected)}")
            else:
                parts.append(MISSING if flag is None else PARTIAL)
                details.append(f"server order {version}: order not reported; truth {_codes(expected)}")
        else:
            if flag is False:
                parts.append(RIGHT)
            elif flag is True:
                parts.append(WRONG)
                details.append(f"server order {version}: said the server's order; truth the client's")
            else:
                parts.append(MISSING)
                details.append(f"server order {version}: not reported (truth: the client's order)")
    return _combine(parts), details
