100 pci/class=03&subclass=00
