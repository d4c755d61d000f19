"""Property-based tests of the official account callback in plain and safe mode: random bodies
and query strings never cause a 5xx and store nothing; any XML behind a valid signature is
answered or refused cleanly; a signed payload changed in one byte is refused."""

from __future__ import annotations

from hypothesis import event, given
from hypothesis import strategies as st

from tests.bot import fuzz, wire
from tests.bot.test_fuzz_wecom_app import xml_plaintexts

APPID = "wx2c2769f8efd9abc2"


def url(endpoints) -> str:
    return f"/bot/mp/{endpoints['mp'].id}"


def plain_args(nonce: str = "n1") -> dict:
    timestamp = wire.now_ts()
    return {"signature": wire.sha1(wire.DOC_TOKEN, timestamp, nonce), "timestamp": timestamp,
            "nonce": nonce}


def text_message(msg_id: str) -> str:
    return wire.text_xml(to="gh_community", sender="oResident1", content="帮助", msg_id=msg_id)


@fuzz.FUZZ
@given(body=fuzz.bodies, args=fuzz.query, headers=fuzz.headers)
def test_a_random_post_is_refused_without_a_5xx_and_stores_nothing(client, endpoints, body,
                                                                     args, headers):
    before = fuzz.stored()
    response = client.post(url(endpoints), query_string=args, data=body, headers=headers)
    assert response.status_code in (400, 403, 413)
    assert fuzz.stored() == before


@fuzz.FEW
@given(args=fuzz.query)
def test_a_random_url_verification_is_refused_without_a_5xx(client, endpoints, args):
    response = client.get(url(endpoints), query_string=args)
    assert response.status_code in (400, 403)


@fuzz.FUZZ
@given(body=st.one_of(xml_plaintexts.map(str.encode), fuzz.bodies))
def test_any_plain_mode_body_behind_a_valid_signature_is_answered_or_refused_cleanly(
        client, endpoints, body):
    before = fuzz.stored()
    response = client.post(url(endpoints), query_string=plain_args(), data=body)
    assert response.status_code in (200, 400, 413)
    event(f"status {response.status_code}")
    if response.status_code != 200:
        assert fuzz.stored() == before


@fuzz.FUZZ
@given(plaintext=xml_plaintexts)
def test_any_safe_mode_plaintext_is_answered_or_refused_cleanly(client, endpoints, plaintext):
    args, body = wire.xml_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, APPID, plaintext)
    before = fuzz.stored()
    response = client.post(url(endpoints), query_string={**args, "encrypt_type": "aes"},
                           data=body)
    assert response.status_code in (200, 400)
    event(f"status {response.status_code}")
    if response.status_code == 400:
        assert fuzz.stored() == before


@fuzz.FUZZ
@given(part=st.sampled_from(("ciphertext", "msg_signature", "timestamp", "nonce")),
       position=st.integers(min_value=0), replacement=st.integers(0, 255))
def test_a_safe_mode_message_changed_in_one_byte_is_refused(client, endpoints, part, position,
                                                            replacement):
    args, body = wire.xml_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, APPID, text_message("8001"))
    if part == "ciphertext":
        head, rest = body.split(b"<Encrypt><![CDATA[")
        ciphertext, tail = rest.split(b"]]>", 1)
        body = head + b"<Encrypt><![CDATA[" + fuzz.mutate(ciphertext, position, replacement) \
            + b"]]>" + tail
    else:
        args[part] = fuzz.mutate(args[part].encode(), position, replacement).decode("latin-1")
    before = fuzz.stored()
    response = client.post(url(endpoints), query_string={**args, "encrypt_type": "aes"},
                           data=body)
    assert response.status_code in (400, 403)
    assert fuzz.stored() == before


@fuzz.FUZZ
@given(part=st.sampled_from(("signature", "timestamp", "nonce")),
       position=st.integers(min_value=0), replacement=st.integers(0, 255))
def test_a_plain_mode_query_changed_in_one_byte_is_refused(client, endpoints, part, position,
                                                           replacement):
    # Plain mode signs only the query (WeChat does not sign the body in this mode).
    args = plain_args()
    args[part] = fuzz.mutate(args[part].encode(), position, replacement).decode("latin-1")
    before = fuzz.stored()
    response = client.post(url(endpoints), query_string=args,
                           data=text_message("8002").encode())
    assert response.status_code in (400, 403)
    assert fuzz.stored() == before
