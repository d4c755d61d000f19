"""微行动 actions: service activities with sign-up and waitlist, QR check-in and check-out,
attendance recorded and certified by the organiser (谁记录谁证明), service hours credited as
points, and each volunteer's service record as Excel and a printable certificate."""
