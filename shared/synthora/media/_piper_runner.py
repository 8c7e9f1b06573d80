"""Runs Piper TTS in its own process (Piper is GPL-3: never import it in-process).

Reads one JSON object on stdin: {"model", "length_scale", "pause_s",
"segments": [{"sentences": [str], "out_wav"}]}; writes one mono 16-bit WAV per
segment and prints {"segments": [{"sample_rate", "samples", "words":
[[word, start_s, end_s], ...]}]} on stdout. The voice model loads once for all
segments (a pipeline voices every scene in one process: loading dominates).

Word times come from Piper's phoneme alignments: each sentence's phonemes are
split into phoneme words at spaces, and each text word claims as many phoneme
words as Piper produces for that word alone (numbers expand to several). When
the counts disagree the sentence's words share its speech time by length.
"""

from __future__ import annotations

import json
import sys
import wave
from typing import Any

_PUNCT = set(",.!?;:…—-\"'")


def _phoneme_words(phonemes: list[str]) -> int:
    parts = "".join(phonemes).split(" ")
    return len([p for p in parts if any(ch not in _PUNCT for ch in p)])


def _spans(alignments: list[Any], base: int) -> list[tuple[int, int]]:
    """(start, end) sample of each run of phonemes between spaces."""
    spans: list[tuple[int, int]] = []
    pos = base
    cur: tuple[int, int] | None = None
    for a in alignments:
        n = int(a.num_samples)
        if a.phoneme == " ":
            if cur is not None:
                spans.append(cur)
            cur = None
        elif a.phoneme not in ("^", "$", "_") and a.phoneme not in _PUNCT:
            cur = (cur[0] if cur else pos, pos + n)
        pos += n
    if cur is not None:
        spans.append(cur)
    return spans


def main() -> int:
    from piper import PiperVoice, SynthesisConfig  # GPL-3: only ever in this child process

    job = json.load(sys.stdin)
    voice = PiperVoice.load(job["model"], include_alignments=True)
    config = SynthesisConfig(length_scale=float(job["length_scale"]))
    pause_s = float(job.get("pause_s", 0.2))
    results = [
        _segment(voice, config, segment["sentences"], segment["out_wav"], pause_s)
        for segment in job["segments"]
    ]
    json.dump({"segments": results}, sys.stdout)
    return 0


def _segment(
    voice: Any, config: Any, sentences: list[str], out_wav: str, pause_s: float
) -> dict[str, Any]:
    rate = voice.config.sample_rate
    pause = int(pause_s * rate)
    words: list[list[Any]] = []
    total = 0
    with wave.open(out_wav, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(rate)
        for sentence in sentences:
            start = total
            spans: list[tuple[int, int]] = []
            aligned = True
            for chunk in voice.synthesize(sentence, config, include_alignments=True):
                audio = chunk.audio_int16_array
                if chunk.phoneme_alignments:
                    spans.extend(_spans(chunk.phoneme_alignments, total))
                else:
                    aligned = False
                out.writeframes(audio.tobytes())
                total += len(audio)
            text_words = sentence.split()
            counts = [
                max(1, sum(_phoneme_words(p) for p in voice.phonemize(w))) for w in text_words
            ]
            if aligned and sum(counts) == len(spans):
                i = 0
                for word, count in zip(text_words, counts, strict=True):
                    words.append([word, spans[i][0] / rate, spans[i + count - 1][1] / rate])
                    i += count
            else:
                # Share the sentence's time by word length: approximate but monotonic.
                weights = [len(w) + 1 for w in text_words]
                acc = float(start)
                span = total - start
                for word, weight in zip(text_words, weights, strict=True):
                    length = span * weight / sum(weights)
                    words.append([word, acc / rate, (acc + length) / rate])
                    acc += length
            out.writeframes(b"\x00\x00" * pause)
            total += pause
    return {"sample_rate": rate, "samples": total, "words": words}


if __name__ == "__main__":
    sys.exit(main())
