/* SPDX-License-Identifier: BSD-2-Clause */
/* The probing and signing children's messages: built in the child, read
 * back in the parent. */
#include "p11/p11_int.h"

json_object *
nd_p11_msg_new(const char *t)
{
	json_object *m = json_object_new_object();

	json_object_object_add(m, "t", json_object_new_string(t));
	return m;
}

void
nd_p11_msg_send(struct nd_chan *ch, json_object *m)
{
	nd_chan_send(ch, m);
	json_object_put(m);
}

bool
nd_p11_msg_ul(const json_object *m, const char *key, unsigned long *v)
{
	json_object *o;

	if (!json_object_object_get_ex(m, key, &o) || !json_object_is_type(o, json_type_int))
		return false;
	*v = (unsigned long)json_object_get_int64(o);
	return true;
}
