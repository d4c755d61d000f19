"""Property-based tests of the WeCom app callback (encrypted XML): random bodies and query
strings never cause a 5xx and store nothing; a correctly signed envelope around any XML is
answered or refused cleanly; a signed payload changed in one byte is refused."""

from __future__ import annotations

from hypothesis import event, example, given
from hypothesis import strategies as st

from tests.bot import fuzz, wire

FIELDS = ("ToUserName", "FromUserName", "CreateTime", "MsgType", "Content", "MsgId", "AgentID",
          "Event")


def url(endpoints) -> str:
    return f"/bot/wecom-app/{endpoints['wecom_app'].id}"


# XML-ish plaintexts: known fields with random values in random order, unclosed tags, text.
field_values = st.one_of(st.text(max_size=60), st.sampled_from(
    ("text", "event", "image", "-1", "99999999999999999999", "1e308", "", "]]>", "<a/>")))
xml_plaintexts = st.one_of(
    st.lists(st.tuples(st.sampled_from(FIELDS), field_values), max_size=8).map(
        lambda pairs: "<xml>" + "".join(f"<{k}><![CDATA[{v}]]></{k}>" for k, v in pairs)
        + "</xml>"),
    st.lists(st.tuples(st.sampled_from(FIELDS), field_values), max_size=8).map(
        lambda pairs: "<xml>" + "".join(f"<{k}>{v}</{k}>" for k, v in pairs)),
    st.text(max_size=200))
# A valid text message with one field dropped (None) or given another value.
VALID = {"ToUserName": wire.DOC_CORP_ID, "FromUserName": "zhangsan", "CreateTime": "1700000000",
         "MsgType": "text", "Content": "楼道灯坏了", "MsgId": "7100", "AgentID": "1000002"}
xml_plaintexts |= st.tuples(st.sampled_from(sorted(VALID)), st.none() | field_values).map(
    lambda change: "<xml>" + "".join(
        f"<{k}><![CDATA[{v}]]></{k}>"
        for k, v in {**VALID, change[0]: change[1]}.items() if v is not None) + "</xml>")


def signed_post(plaintext: str, receive_id: str) -> tuple[dict, bytes]:
    return wire.xml_post(wire.DOC_TOKEN, wire.DOC_AES_KEY, receive_id, plaintext)


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
@given(plaintext=xml_plaintexts)
# Found by this test: wechatpy returns None for an empty document (was a 500), and reads
# fields lazily, so a nested MsgType or a missing Content failed after parsing (was a 500).
@example(plaintext="")
@example(plaintext="<xml><MsgType><a>1</a></MsgType></xml>")
@example(plaintext="<xml><MsgType>text</MsgType><MsgId>1</MsgId>"
                   "<FromUserName>u</FromUserName></xml>")
def test_any_signed_plaintext_is_answered_or_refused_cleanly(client, endpoints, plaintext):
    args, body = signed_post(plaintext, wire.DOC_CORP_ID)
    before = fuzz.stored()
    response = client.post(url(endpoints), query_string=args, data=body)
    assert response.status_code in (200, 400)
    event(f"status {response.status_code}")
    if response.status_code == 400:
        assert fuzz.stored() == before


@fuzz.FEW
@given(receive_id=st.text(max_size=30).filter(lambda r: r != wire.DOC_CORP_ID))
def test_a_message_sealed_for_another_corp_is_refused(client, endpoints, receive_id):
    xml = wire.text_xml(to=wire.DOC_CORP_ID, sender="zhangsan", content="帮助", msg_id="7001",
                        agent_id="1000002")
    args, body = signed_post(xml, receive_id)
    before = fuzz.stored()
    assert client.post(url(endpoints), query_string=args, data=body).status_code == 400
    assert fuzz.stored() == before


@fuzz.FUZZ
@given(part=st.sampled_from(("ciphertext", "msg_signature", "timestamp", "nonce")),
       position=st.integers(min_value=0), replacement=st.integers(0, 255))
def test_a_signed_message_changed_in_one_byte_is_refused(client, endpoints, part, position,
                                                         replacement):
    xml = wire.text_xml(to=wire.DOC_CORP_ID, sender="zhangsan", content="帮助", msg_id="7002",
                        agent_id="1000002")
    args, body = signed_post(xml, wire.DOC_CORP_ID)
    if part == "ciphertext":
        head, rest = body.split(b"<Encrypt><![CDATA[")
        ciphertext, tail = rest.split(b"]]>", 1)
        body = head + b"<Encrypt><![CDATA[" + fuzz.mutate(ciphertext, position, replacement) \
            + b"]]>" + tail
    else:
        args[part] = fuzz.mutate(args[part].encode(), position, replacement).decode("latin-1")
    before = fuzz.stored()
    response = client.post(url(endpoints), query_string=args, data=body)
    assert response.status_code in (400, 403)
    assert fuzz.stored() == before
