import requests

response = requests.post(
"https://api.amove.io/api/v1/user/insert_user",
headers={"Authorization": "Bearer EXAMPLE_TOKEN"},
json={
"username": "newuser@example.com",
"email": "newuser@example.com",
"firstname": "New",
"lastname": "User",
"userType": 32
}
)
print(response.json())
