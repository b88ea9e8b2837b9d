resource "jupiterone_rule" "r" {
  name = "admins"
  query = "FIND User WITH admin = true"
}
