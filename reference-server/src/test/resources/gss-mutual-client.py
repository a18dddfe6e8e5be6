"""A real GSS-API initiator (MIT krb5 through python3-gssapi) that insists on mutual
authentication: it sends one SPNEGO token, and completes its security context only if the
server's WWW-Authenticate: Negotiate answer holds a valid AP-REP. Prints COMPLETE or fails.

usage: gss-mutual-client.py URL CA_PEM JSON_BODY   (KRB5_CONFIG and KRB5CCNAME set by the caller)
"""
import base64
import ssl
import sys
import urllib.request

import gssapi

url, ca_pem, body = sys.argv[1], sys.argv[2], sys.argv[3]
spnego = gssapi.OID.from_int_seq("1.3.6.1.5.5.2")
name = gssapi.Name("HTTP@localhost", gssapi.NameType.hostbased_service)
flags = gssapi.RequirementFlag.mutual_authentication | gssapi.RequirementFlag.out_of_sequence_detection
context = gssapi.SecurityContext(name=name, usage="initiate", mech=spnego, flags=flags)
token = context.step()
request = urllib.request.Request(url, data=body.encode(), method="POST", headers={
    "Authorization": "Negotiate " + base64.b64encode(token).decode(),
    "Content-Type": "application/json"})
with urllib.request.urlopen(request, context=ssl.create_default_context(cafile=ca_pem)) as response:
    status = response.status
    answer = response.headers.get("WWW-Authenticate", "")
if not answer.startswith("Negotiate "):
    sys.exit("no mutual authentication token in WWW-Authenticate (status %d)" % status)
context.step(base64.b64decode(answer[len("Negotiate "):]))
if not context.complete:
    sys.exit("the context did not complete on the server's answer")
print("COMPLETE %d" % status)
