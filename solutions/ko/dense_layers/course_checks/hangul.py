"""Korean particles chosen by how the word before them is read aloud.

A Korean particle has two forms, one after a final consonant (책이, 책을, 책은, 책으로) and one
after a vowel (사과가, 사과를, 사과는, 사과로). The word before a particle in a message is often a
filled-in value: a number, a shape, an identifier. Korean readers read those aloud too, (4, 10)
as "사, 십" and `W1` as "더블유 일", so the particle follows that reading.
"""

from __future__ import annotations

HANGUL_FIRST, HANGUL_LAST = 0xAC00, 0xD7A3
RIEUL = 8  # ㄹ as a final consonant: 서울로, not 서울으로
# The final consonant of each digit read in Sino-Korean (영 일 이 삼 사 오 육 칠 팔 구): 0 means none.
DIGIT_FINAL = {"0": 21, "1": RIEUL, "2": 0, "3": 16, "4": 0, "5": 0, "6": 1, "7": RIEUL, "8": RIEUL, "9": 0}
# A number ending in zeros is read by its last unit: 십(ㅂ), 백(ㄱ), 천(ㄴ), then 만(ㄴ) and 억(ㄱ).
POWER_FINAL = {1: 17, 2: 1, 3: 4}
# Letters read alone (W, B, X, N): 엘, 엠, 엔, 알 end in a consonant, the others do not.
LETTER_FINAL = {"l": RIEUL, "m": 16, "n": 4, "r": RIEUL}
# How English words end when written in Hangul: string 스트링, type 타입, tuple 튜플, stack 스택,
# item 아이템, cascade 캐스케이드 (no final consonant), model 모델, kernel 커널.
WORD_ENDINGS = (("ng", 21), ("type", 17), ("le", RIEUL), ("ck", 1), ("m", 16), ("n", 4), ("l", RIEUL))
# Closing marks a particle may follow without changing how the word is read.
SILENT = "`'\")]}>*_, "


def final_consonant(text: str) -> int | None:
    """The final consonant (jongseong index, 0 for none) of how text ends when read aloud; None if unknown."""
    stripped = text.rstrip(SILENT)
    if not stripped:
        return None
    last = stripped[-1]
    if HANGUL_FIRST <= ord(last) <= HANGUL_LAST:
        return (ord(last) - HANGUL_FIRST) % 28
    if last.isdigit():
        digits = stripped[len(stripped.rstrip("0123456789")):]
        zeros = len(digits) - len(digits.rstrip("0"))
        if zeros and digits.rstrip("0"):
            return 1 if zeros >= 8 else 4 if zeros >= 4 else POWER_FINAL[zeros]
        return DIGIT_FINAL[last]
    if last.isascii() and last.isalpha():
        word = stripped[len(stripped.rstrip("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")):]
        if len(word) == 1 or word.isupper():
            return LETTER_FINAL.get(word[-1].lower(), 0)
        lower = word.lower()
        return next((final for ending, final in WORD_ENDINGS if lower.endswith(ending)), 0)
    return None


def particle(word: str, forms: str) -> str:
    """The form of a particle that follows word: forms is "after a consonant/after a vowel", e.g. "이/가".

    A form that starts with 으 (으로, 으로서) is the vowel form after ㄹ too. When the reading is
    unknown, the form after a vowel is used, which is how most symbols are read.
    """
    after_consonant, after_vowel = forms.split("/", 1)
    final = final_consonant(word)
    if not final or (final == RIEUL and after_consonant.startswith("으")):
        return after_vowel
    return after_consonant


def with_particle(word: str, forms: str) -> str:
    return word + particle(word, forms)
