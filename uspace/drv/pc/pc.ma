# The PC platform: the root of the device tree.
100 platform/pc
