"""Write a synthetic departure-record CSV for the import benchmark.

.venv/bin/python bench/stats/make_departures.py 1000000 /tmp/departures-1m.csv
"""

from __future__ import annotations

import csv
import random
import sys
from datetime import date, timedelta

REGIONS = ["TJ-SU", "TJ-KT", "TJ-RA", "TJ-DU", "TJ-GB", "TJ-SU-ISFARA", "TJ-KT-KULOB"]
DESTINATIONS = ["RUS"] * 96 + ["KAZ"] * 3 + ["TUR"]
OCCUPATIONS = ["711", "712", "931", "832", "513", "611", "9313", ""]


def main(count: int, path: str, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = date(2019, 1, 1)
    with open(path, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(
            [
                "person_id",
                "sex",
                "birth_date",
                "departure_date",
                "destination",
                "destination_region",
                "origin_region",
                "occupation",
                "channel",
            ]
        )
        for i in range(count):
            day = start + timedelta(days=rng.randrange(5 * 365))
            writer.writerow(
                [
                    f"B{i:09d}",
                    "M" if rng.random() < 0.85 else "F",
                    f"{rng.randrange(1965, 2004)}-{rng.randrange(1, 13):02d}",
                    day.isoformat(),
                    rng.choice(DESTINATIONS),
                    "",
                    rng.choice(REGIONS),
                    rng.choice(OCCUPATIONS),
                    "organised" if rng.random() < 0.02 else "individual",
                ]
            )


if __name__ == "__main__":
    main(int(sys.argv[1]), sys.argv[2])
