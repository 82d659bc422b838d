"""Cases: Asylum case lifecycle (state machine) and timeline."""
