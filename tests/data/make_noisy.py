#!/usr/bin/env python3
"""Makes a noisy copy of a triage set (WAVs + labels.json), reproducibly.

    tests/data/make_noisy.py INDIR OUTDIR --noise pink|babble|street --snr DB

Noise: pink (sox pinknoise), street (brown rumble + pink hiss, low-passed traffic-like), babble
(six flite voices reading neutral text at once, offset per call). The SNR is measured against
the active speech level (20 ms frames within 30 dB of the loudest), as in telephony tests.
Everything is deterministic (sox -R, fixed texts and offsets). Needs sox, flite, python3."""
import argparse
import array
import math
import os
import shutil
import subprocess
import tempfile
import wave

RATE = 16000
BABBLE_TEXT = [
    ("slt", "The weather tomorrow will be mild with a light breeze from the west and some clouds."),
    ("rms", "Our quarterly meeting moved to Thursday afternoon in the large conference room."),
    ("awb", "The library opens at nine and the children's reading hour starts at ten."),
    ("kal16", "Please remember to bring the receipts and the signed forms to the front desk."),
    ("kal", "The train to the airport leaves every twenty minutes from the second platform."),
    ("slt", "She planted tomatoes and basil in the garden behind the old brick house."),
]


def read(path):
    with wave.open(path) as w:
        assert w.getframerate() == RATE and w.getnchannels() == 1 and w.getsampwidth() == 2
        return array.array("h", w.readframes(w.getnframes()))


def write(path, samples):
    with wave.open(path, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(samples.tobytes())


def active_power(x):
    frame = RATE // 50
    powers = [sum(v * v for v in x[i:i + frame]) / frame for i in range(0, len(x) - frame, frame)]
    top = max(powers) if powers else 0
    active = [p for p in powers if p > top * 1e-3]
    return sum(active) / len(active) if active else 1.0


def sox_noise(kind, seconds, tmp):
    out = os.path.join(tmp, "noise.wav")
    base = ["sox", "-R", "-n", "-r", str(RATE), "-c", "1", "-b", "16", out, "synth", "%.3f" % seconds]
    if kind == "pink":
        subprocess.run(base + ["pinknoise", "vol", "0.5"], check=True)
    else:  # street: brown rumble plus a quieter pink hiss, low-passed like traffic
        subprocess.run(base + ["brownnoise", "synth", "%.3f" % seconds, "pinknoise", "mix",
                               "lowpass", "1500", "vol", "0.5"], check=True)
    return read(out)


def babble_track(tmp):
    parts = []
    for i, (voice, text) in enumerate(BABBLE_TEXT):
        raw = os.path.join(tmp, "b%d_raw.wav" % i)
        out = os.path.join(tmp, "b%d.wav" % i)
        subprocess.run(["flite", "-voice", voice, "-t", text, "-o", raw], check=True)
        # repeat each talker so the track is long, each starting at another offset
        subprocess.run(["sox", raw, "-r", str(RATE), "-c", "1", "-b", "16", out, "pad",
                        "%.2f" % (0.37 * i), "0", "repeat", "12"], check=True)
        parts.append(read(out))
    n = min(len(p) for p in parts)
    return array.array("h", [max(-32768, min(32767, sum(p[k] for p in parts) // 2))
                             for k in range(n)])


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("indir")
    ap.add_argument("outdir")
    ap.add_argument("--noise", choices=["pink", "babble", "street"], required=True)
    ap.add_argument("--snr", type=float, required=True)
    a = ap.parse_args()
    os.makedirs(a.outdir, exist_ok=True)
    shutil.copy(os.path.join(a.indir, "labels.json"), os.path.join(a.outdir, "labels.json"))
    with tempfile.TemporaryDirectory() as tmp:
        babble = babble_track(tmp) if a.noise == "babble" else None
        for index, name in enumerate(sorted(f for f in os.listdir(a.indir) if f.endswith(".wav"))):
            speech = read(os.path.join(a.indir, name))
            if babble is not None:
                start = (index * 7919 * 16) % max(1, len(babble) - len(speech))
                noise = babble[start:start + len(speech)]
                while len(noise) < len(speech):
                    noise += babble[:len(speech) - len(noise)]
            else:
                noise = sox_noise(a.noise, len(speech) / RATE + 0.1, tmp)[:len(speech)]
            gain = math.sqrt(active_power(speech) / (active_power(noise) * 10 ** (a.snr / 10)))
            mixed = array.array("h", (max(-32768, min(32767, int(s + gain * n)))
                                      for s, n in zip(speech, noise)))
            write(os.path.join(a.outdir, name), mixed)
            print(os.path.join(a.outdir, name))


if __name__ == "__main__":
    main()
