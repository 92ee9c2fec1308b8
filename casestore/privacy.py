"""Does a label (or case id) look like it identifies a patient? Pure, no I/O.

Case labels are meant to be clinical descriptions ("t(4;14), bone relapse after VTd"). This
check warns — it never blocks — when a label contains something that looks like a personal
name, a hospital / medical record number, a Chinese resident identity number (18 characters),
or a phone number. It is a heuristic to catch slips, not a de-identification guarantee.

Patterns (each a named constant so the test and the explanation read the same thing):

* ``ID_NUMBER_CN`` — 17 digits then a digit or X (GB 11643): flagged at any checksum.
* ``PHONE`` — a mainland mobile (1[3-9] + 9 digits) or a number of 9–15 digits written with
  spaces / dashes / dots / brackets, optionally with +country code.
* ``RECORD_NUMBER`` — a run of 6 or more digits, or letters followed by 5+ digits
  (``MRN 1234567``, ``H0012345``), or an identifier keyword (MRN, NHS, hospital number,
  住院号, 病历号, 身份证, 姓名…). Dates (2024-06-01, 20240601) are not flagged as numbers.
* ``NAME`` — an honorific before a capitalised word (Mr Smith, Dr. Wang), "Surname, Given",
  two or three capitalised words not in the clinical vocabulary ("John Smith"), or a lone run
  of two or three Chinese characters starting with a common surname ("张伟"), unless it is a
  clinical word ("高危").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class IdentifierWarning:
    kind: str  # name | id_number | record_number | phone
    excerpt: str
    message: str


ID_NUMBER_CN = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
PHONE = re.compile(
    r"(?<![\w+])(?:1[3-9]\d{9}"
    r"|\+?\d{1,3}[\s.-]?\(?\d{2,4}\)?(?:[\s.-]?\d{2,4}){2,4}"
    r"|\(\d{2,4}\)\s?\d{3,4}[\s.-]?\d{3,4})(?![\w])"
)
DIGIT_RUN = re.compile(r"(?<![0-9])\d{6,}(?![0-9])")
LETTERS_DIGITS = re.compile(r"\b[A-Za-z]{1,4}[- ]?\d{5,}\b")
IDENTIFIER_WORDS = re.compile(
    r"\b(?:MRN|NHS|SSN|DOB|hospital\s+(?:no|number|id)|record\s+(?:no|number)|patient\s+id|"
    r"name\s*:|born)\b|住院号|病历号|病案号|门诊号|身份证|姓名|电话|手机",
    re.IGNORECASE,
)
HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Madam|Sir)\.?\s+[A-Z][a-z]+")
SURNAME_COMMA_GIVEN = re.compile(r"\b[A-Z][a-z]{1,20},\s*[A-Z][a-z]{1,20}\b")
CAPITALISED_PAIR = re.compile(r"\b([A-Z][a-z]{1,20})(?:\s+([A-Z][a-z]{1,20})){1,2}\b")
HAN_RUN = re.compile(r"[\u4e00-\u9fff]+")
ISO_DATE = re.compile(r"^(?:19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])$")

# Words that start a capitalised pair in clinical labels but are not names.
CLINICAL_WORDS = frozenset(
    """early late relapse relapsed refractory progression progressive bone lesion lesions
    light chain kappa lambda heavy high low standard risk patient case line first second third
    fourth fifth after before with without on off post pre ongoing new old elderly young fit
    frail unfit renal kidney failure impairment myeloma multiple plasma cell leukemia leukaemia
    primary secondary extramedullary disease biochemical clinical transplant autologous allogeneic
    stem maintenance induction salvage trial response complete partial very good stable minimal
    male female man woman age aged years year months month weeks week the a an and or of in at
    to for by from example test demo isotype igg iga igm igd ige free serum urine marrow
    amyloid amyloidosis neuropathy thrombosis cytogenetics hyperdiploid deletion translocation
    gain loss treatment therapy regimen rapid slow rise rising smoldering smouldering active
    january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday nccn european imwg mayo""".split()
)
CHINESE_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
# Two- or three-character clinical words that begin with a common surname character.
CHINESE_CLINICAL = frozenset(
    "高危 高钙 高龄 高危组 高血压 高黏 高粘 周期 周后 马法兰 美法仑 石化 白蛋白 白细胞 方案 金标准 "
    "程序 于是 万一 武汉 江苏 史上 龙胆 雷那 孔径 毛发 黄疸 黄体 何时 任何 范围 江西 石膏 段落 "
    "付费 钟点 汤剂 严重 严重型 任意 常规 成人 向前 于此 曹操 于次".split()
)


def _digits(text: str) -> str:
    return re.sub(r"\D", "", text)


ZERO_WIDTH_SPACES = frozenset("\u200b\u2060\ufeff")


def normalised(text: str) -> str:
    """NFKC form without invisible format characters: what the patterns must see.

    A zero-width space inside "John\u200bSmith", full-width digits (１２３４５６７) or a bidi override
    would otherwise hide an identifier from every pattern below (issue #13).
    """
    folded = unicodedata.normalize("NFKC", text)
    # A zero-width *space* separates words (so "John\u200bSmith" reads as two); other controls vanish.
    return "".join(" " if ch in ZERO_WIDTH_SPACES else ch for ch in folded
                   if ch in ZERO_WIDTH_SPACES or unicodedata.category(ch) != "Cf")


def identifier_warnings(text: str | None) -> list[IdentifierWarning]:
    """Every reason ``text`` may identify a patient; empty when it looks like a clinical label."""
    if not text:
        return []
    text = normalised(text)
    found: list[IdentifierWarning] = []
    seen_spans: list[tuple[int, int]] = []

    def add(kind: str, match: re.Match[str], message: str) -> None:
        span = match.span()
        if any(a <= span[0] < b or a < span[1] <= b for a, b in seen_spans):
            return
        seen_spans.append(span)
        found.append(IdentifierWarning(kind, match.group(0), message))

    for m in ID_NUMBER_CN.finditer(text):
        add("id_number", m, "looks like an 18-character resident identity number")
    for m in PHONE.finditer(text):
        digits = _digits(m.group(0))
        if 9 <= len(digits) <= 15 and not ISO_DATE.match(digits):
            add("phone", m, "looks like a phone number")
    for m in DIGIT_RUN.finditer(text):
        if not ISO_DATE.match(m.group(0)):
            add("record_number", m, "looks like a hospital / medical record number")
    for m in LETTERS_DIGITS.finditer(text):
        add("record_number", m, "looks like a hospital / medical record number")
    for m in IDENTIFIER_WORDS.finditer(text):
        add("record_number", m, "names a personal identifier; use a pseudonymous description")
    for m in HONORIFIC.finditer(text):
        add("name", m, "looks like a personal name")
    for m in SURNAME_COMMA_GIVEN.finditer(text):
        if not {w.lower() for w in re.findall(r"[A-Za-z]+", m.group(0))} & CLINICAL_WORDS:
            add("name", m, "looks like a personal name (Surname, Given name)")
    for m in CAPITALISED_PAIR.finditer(text):
        words = re.findall(r"[A-Za-z]+", m.group(0))
        if not any(w.lower() in CLINICAL_WORDS for w in words):
            add("name", m, "looks like a personal name")
    for m in HAN_RUN.finditer(text):
        run = m.group(0)
        if 2 <= len(run) <= 3 and run[0] in CHINESE_SURNAMES and run not in CHINESE_CLINICAL:
            add("name", m, "looks like a personal name (姓名)")
    return found
