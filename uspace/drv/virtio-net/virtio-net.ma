# virtio network devices over PCI: the modern id (0x1040 + 1) and the
# transitional one QEMU's virtio-net-pci has by default; the driver speaks
# virtio 1.0 to either.
100 pci/ven=1af4&dev=1041
100 pci/ven=1af4&dev=1000
