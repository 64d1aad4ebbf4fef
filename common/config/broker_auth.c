/* SPDX-License-Identifier: MIT */
/*
 * broker_auth — see broker_auth.h. Password files hold one line; anything
 * after it (a comment an IT person added) is ignored.
 */
#include "broker_auth.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int jh_read_first_line(const char *path, char *out, size_t outlen, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errlen, "cannot read broker password file %s: %s", path, strerror(errno));
        return -1;
    }
    int ok = fgets(out, (int)outlen, fp) != NULL;
    fclose(fp);
    out[ok ? strcspn(out, "\r\n") : 0] = '\0';
    if (!out[0]) {
        snprintf(err, errlen, "broker password file %s is empty", path);
        return -1;
    }
    return 0;
}

const char *jh_broker_user(const jh_hall_config *cfg, const char *own_name)
{
    return cfg->broker_user[0] ? cfg->broker_user : own_name;
}

int jh_client_id(char *buf, size_t len, const char *user, const char *suffix, char *err, size_t errlen)
{
    int n = suffix && suffix[0] ? snprintf(buf, len, "%s:%s", user, suffix) : snprintf(buf, len, "%s", user);
    if (n < 0 || (size_t)n >= len || n >= JH_CLIENT_ID_LEN) {
        snprintf(err, errlen, "the MQTT client id for broker user '%s' would be longer than %d bytes", user,
                 JH_CLIENT_ID_LEN - 1);
        return -1;
    }
    return 0;
}

int jh_broker_login(const jh_hall_config *cfg, const char *own_name, char *user, size_t userlen,
                    char *password, size_t pwlen, char *err, size_t errlen)
{
    snprintf(user, userlen, "%s", jh_broker_user(cfg, own_name));
    password[0] = '\0';
    if (cfg->broker_password[0]) {
        snprintf(password, pwlen, "%s", cfg->broker_password);
        return 0;
    }
    if (cfg->broker_password_file[0])
        return jh_read_first_line(cfg->broker_password_file, password, pwlen, err, errlen);
    if (!cfg->broker_credentials_dir[0])
        return 0;
    char path[JH_LONG_TEXT_LEN + JH_ID_LEN + 8];
    snprintf(path, sizeof path, "%s/%s.pw", cfg->broker_credentials_dir, user);
    return jh_read_first_line(path, password, pwlen, err, errlen);
}
