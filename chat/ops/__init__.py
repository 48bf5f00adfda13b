"""Operations: the `neuvo` command line and the demo seed. The top layer: may import everything."""
