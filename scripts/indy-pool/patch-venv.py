"""Install-time edits to indy-plenum 1.13.1 / indy-node 1.13.2 in the pool's venv.

Run by scripts/ensure-indy-pool.sh with the venv's python. Each edit replaces one exact piece of
text and fails loudly when that text is not found (e.g. after a version change); running it twice
changes nothing. What it does and why:

1. /etc/indy is hard-coded as the general config dir (plenum/config.py, indy_common/config.py,
   and the genesis generator plenum/common/test_network_setup.py): read CREDENCE_INDY_CONFIG_DIR
   instead when it is set, so nothing is written under /etc.
2. The genesis generator's first port (9700 in bin/generate_indy_pool_transactions): read
   CREDENCE_INDY_POOL_PORTS_START when set, so the pool's ports are configurable.
3. py-leveldb returns bytearray where plenum expects bytes (a node restarted on existing data dies
   with a TypeError in instance_change_provider.py): storage/kv_store_leveldb.py returns bytes.
4. python-rocksdb does not build, so it is left out; plenum still needs the name
   rocksdb.IComparator at import time: install a stand-in `rocksdb` module whose every other name
   raises. The node config selects LevelDB for every store, so the stand-in is never used.
"""
import os
import sys
import sysconfig

SITE = sysconfig.get_paths()["purelib"]
BIN = os.path.dirname(sys.executable)
MARK = "CREDENCE_"


def edit(path, old, new, count=1):
    with open(path) as f:
        text = f.read()
    if MARK in text and new in text:
        return
    if text.count(old) != count:
        sys.exit(f"patch-venv: expected {count}x {old!r} in {path}, found {text.count(old)}")
    with open(path, "w") as f:
        f.write(text.replace(old, new))


def site(rel):
    return os.path.join(SITE, rel)


CONFIG_DIR = "__import__('os').environ.get('CREDENCE_INDY_CONFIG_DIR', '/etc/indy')"

edit(site("plenum/config.py"), "GENERAL_CONFIG_DIR = '/etc/indy'\n",
     f"GENERAL_CONFIG_DIR = {CONFIG_DIR}\n")
edit(site("indy_common/config.py"), "GENERAL_CONFIG_DIR = '/etc/indy/'\n",
     f"GENERAL_CONFIG_DIR = {CONFIG_DIR}\n")
edit(site("plenum/common/test_network_setup.py"), "'/etc/indy/indy_config.py'",
     f"os.path.join({CONFIG_DIR}, 'indy_config.py')", count=2)

edit(os.path.join(BIN, "generate_indy_pool_transactions"), "portsStart = 9700\n",
     "portsStart = int(__import__('os').environ.get('CREDENCE_INDY_POOL_PORTS_START', '9700'))\n")

LEVELDB = site("storage/kv_store_leveldb.py")
edit(LEVELDB,
     "        return self._db.RangeIter(key_from=start, key_to=end, include_value=include_value)\n",
     "        # CREDENCE_: py-leveldb yields bytearray; plenum expects bytes\n"
     "        it = self._db.RangeIter(key_from=start, key_to=end, include_value=include_value)\n"
     "        if include_value:\n"
     "            return ((bytes(k), bytes(v)) for k, v in it)\n"
     "        return (bytes(k) for k in it)\n")
edit(LEVELDB,
     "        return self._db.Get(key)\n",
     "        return bytes(self._db.Get(key))  # CREDENCE_: py-leveldb returns bytearray\n")

STANDIN = site("rocksdb/__init__.py")
os.makedirs(os.path.dirname(STANDIN), exist_ok=True)
with open(STANDIN, "w") as f:
    f.write('''"""Stand-in for python-rocksdb (which does not build here), written by ensure-indy-pool.sh.

plenum imports rocksdb.IComparator at import time; the pool's config selects LevelDB for every
store, so nothing else of RocksDB is ever used. Any other name raises.
"""


class IComparator:
    pass


def __getattr__(name):
    raise ImportError("rocksdb is not installed (stand-in module): select LevelDB storage "
                      "in indy_config.py; rocksdb.%s was asked for" % name)
''')
print("patch-venv: ok", file=sys.stderr)
