#!/usr/bin/env python3
"""make_seeds.py - (re)build the seed corpora of the fuzz targets added with
fuzz_client/jwt/secad/addrfile/base64/netblock from the real recordings in
tests/vectors/real/ (plus a few hand-written edge cases).

Run from the repository root:  python3 tests/fuzz/make_seeds.py
The outputs are committed; this script only documents how they were made.

fuzz_client input format (see fuzz_client.c): a sequence of records
  kind (1 byte)  length (2 bytes, big-endian)  payload
kind % 4: 0 = raw bytes for the client to read, 1 = one message (plaintext
packet before the session key, AES-GCM packet after it), 2 = TOKEN
server_send message whose nonce echo and hkt the harness fixes up,
3 = the connection ends here; the next command starts a new one.
"""
import os
import re
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
VEC = os.path.join(ROOT, "tests", "vectors", "real")
CORPUS = os.path.join(ROOT, "tests", "fuzz", "corpus")


def parse_vector(name):
    """[(conn_no, [packet dict])]: each packet has dir, end, wire, payload
    (plaintext payload: decrypted for AES-GCM), label, encrypted."""
    conns = []
    label = ""
    encrypted = False
    last = None
    with open(os.path.join(VEC, name)) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("conn "):
                conns.append([])
            elif line.startswith("msg "):
                label = line
                encrypted = line.endswith("[AES-GCM]")
            elif line[:3] in ("C> ", "S> "):
                d, end, ln, hx = line.split(" ", 3)
                wire = bytes.fromhex(hx)
                assert len(wire) == int(ln)
                last = {"dir": d[0], "end": int(end), "payload": wire, "label": label,
                        "encrypted": encrypted,
                        "wire": bytes([int(end)]) + struct.pack(">I", len(wire)) + wire}
                conns[-1].append(last)
            elif line.startswith("pt ") and last is not None:
                last["payload"] = bytes.fromhex(line[3:])
    return conns


def val(name, key):
    with open(os.path.join(VEC, name)) as f:
        for line in f:
            if line.startswith("val " + key + " "):
                return line.split(" ", 2)[2].rstrip("\n")
    return None


def rec(kind, payload=b""):
    assert len(payload) < 65536
    return bytes([kind]) + struct.pack(">H", len(payload)) + payload


def write(target, name, data):
    d = os.path.join(CORPUS, target)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


def client_seeds():
    for v in ("V1-list-fs.txt", "V2-list-token.txt", "V3-approve-token-resume.txt",
              "V5-locate-schedd-query.txt", "V7a-auto-approve.txt"):
        conns = parse_vector(v)
        tag = v.split("-")[0]
        structured, raw = b"", b""
        for i, conn in enumerate(conns):
            if i:
                structured += rec(3)
                raw += rec(3)
            for p in conn:
                if p["dir"] != "S":
                    continue
                raw += rec(0, p["wire"])
                kind = 2 if "TOKEN-2" in p["label"] else 1
                structured += rec(kind, p["payload"])
        write("client", tag + "-structured", structured)
        write("client", tag + "-wire", raw)


def secad_seeds():
    n = 0
    for v in ("V1-list-fs.txt", "V2-list-token.txt", "V3-approve-token-resume.txt",
              "V5-locate-schedd-query.txt"):
        for conn in parse_vector(v):
            for p in conn:
                if p["encrypted"]:
                    continue
                body = p["payload"]
                if p["label"].split()[3] == "M1":
                    body = body[8:]  # drop the DC_AUTHENTICATE command int
                elif not re.search(r" (M2|R1) ", p["label"]):
                    continue
                wire = bytes([1]) + struct.pack(">I", len(body)) + body
                write("secad", "wire%02d" % n, b"\x00" + wire)
                n += 1
    lines = []
    with open(os.path.join(VEC, "V1-list-fs.txt")) as f:
        for line in f:
            if line.startswith("| attr "):
                lines.append(line[7:].rstrip("\n"))
            if len(lines) >= 35:
                break
    write("secad", "lines", "\x01" + "\n".join(lines) + "\n")
    write("secad", "lines-odd", '\x01  A=1\nB = "x\\"y"\nc = TRUE\nA = 2\nbad\n')


def jwt_seeds():
    toks = [val("V2-list-token.txt", "token"), val("V3-approve-token-resume.txt", "issued_token"),
            val("V7b-token-fetch.txt", "fetched_token")]
    toks = [t for t in toks if t]
    for i, t in enumerate(toks):
        write("jwt", "token%d" % i, t)  # odd/even length picks the server filters
        write("jwt", "token%d-nl" % i, t + "\n")
    write("jwt", "file", "# a comment\n\n  not-a-token  \r\n" + toks[0] + "\r\n" + toks[-1] + "\n")
    # header {"alg":"HS256"} (no kid) and payload with escapes and numbers
    write("jwt", "nokid", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhXHUwMGU5YiIsImV4cCI6MS41ZTMsImlzcyI6InhcL3kifQ.AAAA")
    write("jwt", "nested", "eyJraWQiOiJQT09MIiwieCI6W3sieSI6W3RydWUsbnVsbCwtMS4yZSszXX1dfQ.eyJpc3MiOiJyZWZwb29sLmxvY2FsIiwianRpIjoiMSJ9.AA")


def addrfile_seeds():
    write("addrfile", "positional", "<127.0.0.1:9620?addrs=127.0.0.1-9620&alias=vm&noUDP&sock=schedd_1_2>\n"
          "$CondorVersion: 25.14.0 2026-11-30 PRE-RELEASE-UWCS $\n$CondorPlatform: X86_64-Debian_12 $\n")
    write("addrfile", "v6", "<[::1]:9620?addrs=[::1]-9620+127.0.0.1-9620>\n$CondorVersion: 9.0.0 $\n")
    lines = []
    with open(os.path.join(VEC, "V5-locate-schedd-query.txt")) as f:
        take = False
        for line in f:
            if line.startswith("msg ") and "QUERY_SCHEDD_ADS reply" in line:
                take = True
            elif line.startswith("msg "):
                take = False
            elif take and line.startswith("| attr "):
                lines.append(line[7:].rstrip("\n"))
    write("addrfile", "daemonad", "\n".join(lines) + "\n")


def base64_seeds():
    for i, (v, key) in enumerate((("V2-list-token.txt", "token"),)):
        t = val(v, key)
        for j, part in enumerate(t.split(".")):
            write("base64", "jwtpart%d" % j, part)
    with open(os.path.join(VEC, "V1-list-fs.txt")) as f:
        k = 0
        for line in f:
            m = re.search(r'ECDHPublicKey = "([^"]+)"', line)
            if m and k < 2:
                write("base64", "ecdh%d" % k, m.group(1))
                k += 1
    for name, s in (("pad1", "QQ=="), ("pad2", "QUI="), ("nopad", "QUJD"), ("url", "-_-_"),
                    ("odd", "QR=="), ("empty", "")):
        write("base64", name, s)


def netblock_seeds():
    for i, s in enumerate(("127.0.0.1\n127.0.0.1", "10.0.0.0/8\n10.1.2.3", "192.168.*\n192.168.4.5",
                           "*\n::1", "::1\n::1", "fe80::/10\nfe80::1:2", "10.0.0.0/255.255.0.0\n10.0.9.9",
                           "::ffff:0:0/96\n1.2.3.4", "1.2.3.4/32\n::ffff:1.2.3.4",
                           "[2001:db8::]/32\n2001:db8:1::7", "1:2:3:4:5:6:1.2.3.4\n1:2:3:4:5:6:102:304",
                           "*/*\n")):
        write("netblock", "nb%02d" % i, s)


def p256_seeds():
    """fuzz_p256 (see fuzz_p256.c): mode byte, 32-byte scalar, then bytes.
    Mode 0 peers are the real daemons' ECDH points of the recordings."""
    import base64
    k = bytes.fromhex("c88f01f510d9ac3f70a292daa2316de544e9aab8afe84049c62a9c57862d1433")
    n = 0
    for v in sorted(os.listdir(VEC)):
        if not v.endswith(".txt"):
            continue
        with open(os.path.join(VEC, v)) as f:
            for line in f:
                m = re.search(r'ECDHPublicKey = "([^"]+)"', line)
                if m and n < 4:
                    write("p256", "real%d" % n, b"\x00" + k + base64.b64decode(m.group(1)))
                    n += 1
    one = bytes(31) + b"\x01"
    nm1 = bytes.fromhex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632550")
    write("p256", "compressed02", b"\x01" + k + bytes(31) + b"\x05")
    write("p256", "compressed03", b"\x04" + k + bytes(31) + b"\x05")
    write("p256", "mul-1", b"\x02" + k + one)
    write("p256", "mul-nm1", b"\x02" + nm1 + nm1)
    write("p256", "infinity", b"\x00" + k + b"\x00")


def main():
    client_seeds()
    secad_seeds()
    jwt_seeds()
    addrfile_seeds()
    base64_seeds()
    netblock_seeds()
    p256_seeds()
    return 0


if __name__ == "__main__":
    sys.exit(main())
