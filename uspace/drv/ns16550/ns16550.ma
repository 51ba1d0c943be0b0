# 16550-compatible UARTs (the PC serial ports).
100 isa/ns16550
