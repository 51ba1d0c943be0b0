100 pc/pci-host
