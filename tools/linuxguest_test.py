"""Unit tests of tools/linuxguest.py's pure parts: the module load order read
from each module's .modinfo (run by testrun's harness suite as linuxguest.*)."""
import os
import tempfile
import unittest

import linuxguest


def fake_module(directory, name, depends):
    """A file with a .modinfo-like string table naming @depends."""
    path = os.path.join(directory, name + ".ko")
    with open(path, "wb") as f:
        f.write(b"\x7fELF junk\0license=GPL\0depends=" + ",".join(depends).encode() +
                b"\0vermagic=6.1\0")
    return path


class LoadOrder(unittest.TestCase):
    def test_dependencies_load_first_and_once(self):
        with tempfile.TemporaryDirectory() as d:
            fake_module(d, "virtio_ring", [])
            fake_module(d, "virtio", ["virtio_ring"])
            fake_module(d, "virtio_blk", ["virtio", "virtio_ring"])
            fake_module(d, "ext4", ["jbd2", "crc16"])
            fake_module(d, "jbd2", [])
            fake_module(d, "crc16", [])
            index = linuxguest.module_index(d)
            order = linuxguest.load_order(index, ["virtio_blk", "ext4", "virtio"])
            self.assertEqual(order, ["virtio_ring", "virtio", "virtio_blk", "jbd2", "crc16",
                                     "ext4"])

    def test_a_dash_in_a_name_is_an_underscore(self):
        with tempfile.TemporaryDirectory() as d:
            fake_module(d, "crc32c-intel", [])
            fake_module(d, "needs", ["crc32c-intel"])
            order = linuxguest.load_order(linuxguest.module_index(d), ["needs"])
            self.assertEqual(order, ["crc32c_intel", "needs"])

    def test_a_missing_module_is_an_error(self):
        with tempfile.TemporaryDirectory() as d:
            fake_module(d, "e1000", ["nothere"])
            with self.assertRaises(RuntimeError):
                linuxguest.load_order(linuxguest.module_index(d), ["e1000"])


if __name__ == "__main__":
    unittest.main()
