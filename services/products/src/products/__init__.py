"""The products service: the catalogue every signed-in caller browses and admins maintain."""
