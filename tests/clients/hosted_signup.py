import requests

response = requests.post(
"https://api.amove.io/api/v1/user/signup",
json={
"firstname": "New",
"lastname": "User",
"password": "CHOSEN_PASSWORD",
"token": "EXAMPLE_TOKEN"
}
)
print(response.json())
