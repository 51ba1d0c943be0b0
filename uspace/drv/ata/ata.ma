# IDE controllers (PCI mass storage, IDE): QEMU's PIIX3/PIIX4 IDE.
100 pci/class=01&subclass=01
