# Intel 8254x gigabit Ethernet: QEMU's default NIC (82540EM) and its kin.
100 pci/ven=8086&dev=100e
100 pci/ven=8086&dev=100f
100 pci/ven=8086&dev=10d3
