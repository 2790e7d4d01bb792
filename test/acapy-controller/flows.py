"""Flows driven through acapy-controller (PyPI), the client ACA-Py's own scenario scripts use.

Run by test/e2e/acapyController.e2e.test.ts with one JSON argument: {"inviter": agent, "invitee": agent}
where an agent is {"url": admin URL, "wallet_id"?: ..., "token"?: ...} (a tenant when both are given).
Prints one line `ok <step>` per step that passed; any failure raises, and the exit code says so.
"""

import asyncio
import json
import sys
import uuid

from acapy_controller import Controller
from acapy_controller.protocols import didexchange, jsonld_issue_credential, oob_invitation, trustping


def controller(agent):
    if agent.get("token"):
        return Controller(agent["url"], wallet_id=agent["wallet_id"], subwallet_token=agent["token"])
    return Controller(agent["url"])


def step(name):
    print(f"ok {name}", flush=True)


async def main(config):
    async with controller(config["inviter"]) as inviter, controller(config["invitee"]) as invitee:
        step("setup")  # the /ws settings message and /status/config's wallet.type

        inviter_conn, invitee_conn = await didexchange(inviter, invitee)
        assert inviter_conn.rfc23_state == "completed" and invitee_conn.rfc23_state == "completed"
        step("didexchange")

        await trustping(inviter, inviter_conn)
        step("trustping")

        content = f"hello {uuid.uuid4()}"
        await inviter.post(f"/connections/{inviter_conn.connection_id}/send-message", json={"content": content})
        received = await invitee.event_with_values(topic="basicmessages", content=content, timeout=10)
        assert received["connection_id"] == invitee_conn.connection_id
        step("basicmessage")

        invite = await oob_invitation(inviter, multi_use=True)
        first, _ = await didexchange(inviter, invitee, invite=invite)
        second, _ = await didexchange(inviter, invitee, invite=invite)
        assert first.invitation_msg_id and first.invitation_msg_id == second.invitation_msg_id
        assert first.connection_id != second.connection_id
        step("multiuse")

        given_name = f"Ada-{uuid.uuid4().hex[:8]}"
        issuer_did = (await inviter.post("/wallet/did/create", json={"method": "key", "options": {"key_type": "ed25519"}}))["result"]["did"]
        holder_did = (await invitee.post("/wallet/did/create", json={"method": "key", "options": {"key_type": "ed25519"}}))["result"]["did"]
        await jsonld_issue_credential(
            inviter,
            invitee,
            inviter_conn.connection_id,
            invitee_conn.connection_id,
            # A context ACA-Py keeps offline (the tests reach no network).
            credential={
                "@context": ["https://www.w3.org/2018/credentials/v1", "https://w3id.org/citizenship/v1"],
                "type": ["VerifiableCredential", "PermanentResident"],
                "issuer": issuer_did,
                "issuanceDate": "2024-01-01T00:00:00Z",
                "credentialSubject": {"id": holder_did, "type": ["PermanentResident"], "givenName": given_name, "familyName": "Doe"},
            },
            options={"proofType": "Ed25519Signature2018"},
        )
        step("jsonld-issue")

        definition = {
            "id": str(uuid.uuid4()),
            "format": {"ldp_vp": {"proof_type": ["Ed25519Signature2018"]}},
            "input_descriptors": [
                {
                    "id": "citizenship",
                    # As ACA-Py's own examples write it: schema groups (one must match) and a filter without type.
                    "schema": {
                        "oneof_filter": [
                            [{"uri": "https://www.w3.org/2018/credentials#VerifiableCredential"}, {"uri": "https://example.org/examples#UniversityDegreeCredential"}],
                            [{"uri": "https://www.w3.org/2018/credentials#VerifiableCredential"}, {"uri": "https://w3id.org/citizenship#PermanentResident"}],
                        ]
                    },
                    "constraints": {"fields": [{"path": ["$.credentialSubject.givenName"], "filter": {"const": given_name}}]},
                }
            ],
        }
        # The DIF proof step by step (acapy-controller 0.3.0's jsonld_present_proof reads the request
        # from a legacy `pres_request` field, which ACA-Py 1.7 also leaves out of its webhooks).
        requested = await inviter.post(
            "/present-proof-2.0/send-request",
            json={
                "auto_verify": False,
                "connection_id": inviter_conn.connection_id,
                "presentation_request": {"dif": {"presentation_definition": definition, "options": {"challenge": str(uuid.uuid4())}}},
                "trace": False,
            },
        )
        at_holder = await invitee.event_with_values(topic="present_proof_v2_0", connection_id=invitee_conn.connection_id, state="request-received", timeout=10)
        asked = at_holder["by_format"]["pres_request"]["dif"]["presentation_definition"]
        assert asked["id"] == definition["id"]
        await invitee.post(f"/present-proof-2.0/records/{at_holder['pres_ex_id']}/send-presentation", json={"dif": {"presentation_definition": asked}})
        await inviter.event_with_values(topic="present_proof_v2_0", pres_ex_id=requested["pres_ex_id"], state="presentation-received", timeout=10)
        verified = await inviter.post(f"/present-proof-2.0/records/{requested['pres_ex_id']}/verify-presentation", json={})
        assert verified["verified"] == "true", verified
        await invitee.event_with_values(topic="present_proof_v2_0", pres_ex_id=at_holder["pres_ex_id"], state="done", timeout=10)
        step("dif-proof")


asyncio.run(main(json.loads(sys.argv[1])))
