# virtio block devices over PCI: the modern id (0x1040 + 2) and the
# transitional one QEMU's virtio-blk-pci has by default; the driver speaks
# virtio 1.0 to either.
100 pci/ven=1af4&dev=1042
100 pci/ven=1af4&dev=1001
