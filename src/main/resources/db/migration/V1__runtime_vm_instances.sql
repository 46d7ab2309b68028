-- One row per VM: its last reported state and settings, and how vmprov reached libvirt for it.
-- Portable SQL: runs on H2 (embedded default) and PostgreSQL (production).
CREATE TABLE runtime_vm_instances (
    name             VARCHAR(64)  NOT NULL PRIMARY KEY,
    uuid             VARCHAR(36),
    state            VARCHAR(16)  NOT NULL,
    isolation_tier   VARCHAR(16),
    memory_mib       INTEGER,
    vcpus            INTEGER,
    gpu_devices      VARCHAR(1024),
    driver           VARCHAR(16)  NOT NULL,
    connection_uri   VARCHAR(1024),
    -- sanitized: user name, whether a password was supplied and from where; never the password nor a hash of it
    credentials      VARCHAR(1024) NOT NULL,
    last_request_id  VARCHAR(128) NOT NULL,
    last_action      VARCHAR(16)  NOT NULL,
    last_error       VARCHAR(4000),
    created_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    updated_at       TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE INDEX runtime_vm_instances_state ON runtime_vm_instances (state);
