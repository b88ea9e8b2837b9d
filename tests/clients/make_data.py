"""Writes the client tests' fixture data: 620 devices and 20 users with fixed timestamps."""
import json
import pathlib
import sys

out = pathlib.Path(sys.argv[1])
out.mkdir(parents=True, exist_ok=True)
meta = {"_createdOn": 1750000000000, "_beginOn": 1750000000000}
devices = [
    {"_key": f"device-{i:04}", "_type": "user_endpoint", "_class": "Device",
     "displayName": f"Device {i}", "serial": i, "platform": ["linux", "darwin", "windows"][i % 3],
     "ownerKey": f"user-{i % 20:02}", **meta}
    for i in range(620)
]
users = [
    {"_key": f"user-{i:02}", "_type": "hr_user", "_class": "User", "displayName": f"User {i}",
     "email": f"user{i}@example.com", "active": i % 4 != 0, **meta}
    for i in range(20)
]
relationships = [
    {"_key": f"user-{i % 20:02}|owns|device-{i:04}", "_class": "OWNS", "_type": "hr_user_owns_user_endpoint",
     "_fromEntityKey": f"user-{i % 20:02}", "_toEntityKey": f"device-{i:04}", **meta}
    for i in range(0, 620, 7)
]
payload = {"scope": "fleet", "entities": users + devices, "relationships": relationships}
(out / "fleet.json").write_text(json.dumps(payload, indent=1))
