"""What is kept between runs: credentials in the OS keyring, settings, the send journal."""
