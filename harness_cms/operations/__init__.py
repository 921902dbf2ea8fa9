"""Operations: backups and restores, the content fingerprint, the static export, scale data, the
health check."""
